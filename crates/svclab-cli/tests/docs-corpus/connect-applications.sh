# Kubernetes docs: Connecting Applications with Services (tutorial).
# Source: https://kubernetes.io/docs/tutorials/services/connect-applications-service/
#
# The tutorial's Deployment my-nginx (label run: my-nginx, 2 replicas, nginx on 80), exposed
# with `kubectl expose deployment/my-nginx`. Documented outcomes: the Service has port 80 and
# selector run=my-nginx; the EndpointSlice lists both pods on 80; CoreDNS answers my-nginx
# from a busybox pod; curl reaches nginx's welcome page.
cat > run-my-nginx.yaml << EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
spec:
  selector:
    matchLabels:
      run: my-nginx
  replicas: 2
  template:
    metadata:
      labels:
        run: my-nginx
    spec:
      containers:
      - name: my-nginx
        image: nginx
        ports:
        - containerPort: 80
EOF
kubectl apply -f run-my-nginx.yaml
kubectl rollout status deployment/my-nginx
kubectl get pods -l run=my-nginx -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}'
kubectl expose deployment/my-nginx
kubectl get svc my-nginx -o jsonpath='{.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.selector}{"\n"}'
kubectl get endpointslices -l kubernetes.io/service-name=my-nginx -o jsonpath='{.items[0].addressType} {.items[0].ports[0].port} {.items[0].endpoints[*].targetRef.name}{"\n"}'
kubectl get svc kube-dns --namespace=kube-system
kubectl run -it --rm --restart=Never busybox --image=busybox:1.28 sh
nslookup my-nginx
wget -qO- my-nginx | grep title
exit
# The same Service as the tutorial's manifest (nginx-svc.yaml): port 80, protocol TCP.
cat > nginx-svc.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: my-nginx
  labels:
    run: my-nginx
spec:
  ports:
  - port: 80
    protocol: TCP
  selector:
    run: my-nginx
EOF
kubectl apply -f nginx-svc.yaml
kubectl get svc my-nginx -o jsonpath='{.metadata.labels.run}{"\n"}'
