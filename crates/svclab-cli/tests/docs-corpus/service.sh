# Kubernetes docs: Service (concept page).
# Source: https://kubernetes.io/docs/concepts/services-networking/service/
# Examples written from the page's manifests; outcomes pinned in service.out.
#
# Example 1, "Defining a Service": a selector on app.kubernetes.io/name=MyApp, port 80 to
# targetPort 9376. Documented outcome: accepted, a cluster IP is assigned.
cat > my-service.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  selector:
    app.kubernetes.io/name: MyApp
  ports:
    - protocol: TCP
      port: 80
      targetPort: 9376
EOF
kubectl apply -f my-service.yaml
kubectl get svc my-service -o jsonpath='{.spec.type} {.spec.ports[0].port}->{.spec.ports[0].targetPort}{"\n"}'
# Example 2, "Port definitions": a Pod names its port http-web-svc and the Service targets
# the name. Documented outcome: the Service's endpoint is the pod's port 80.
cat > named-port.yaml << EOF
apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    app.kubernetes.io/name: proxy
spec:
  containers:
  - name: nginx
    image: nginx:stable
    ports:
      - containerPort: 80
        name: http-web-svc
---
apiVersion: v1
kind: Service
metadata:
  name: nginx-service
spec:
  selector:
    app.kubernetes.io/name: proxy
  ports:
  - name: name-of-service-port
    protocol: TCP
    port: 80
    targetPort: http-web-svc
EOF
kubectl apply -f named-port.yaml
kubectl wait --for=condition=Ready pod/nginx
kubectl get endpointslices -l kubernetes.io/service-name=nginx-service -o jsonpath='{.items[0].ports[0].name} {.items[0].ports[0].port}{"\n"}'
curl -s nginx-service.default | grep title
# Example 3, "Services without selectors": the Service gets no EndpointSlice from the
# control plane; the user adds one labelled kubernetes.io/service-name. Documented outcome:
# traffic goes to 10.4.5.6:9376 (an address outside the cluster here: nothing answers).
cat > no-selector.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  ports:
    - name: http
      protocol: TCP
      port: 80
      targetPort: 9376
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: my-service-1
  labels:
    kubernetes.io/service-name: my-service
addressType: IPv4
ports:
  - name: http
    appProtocol: http
    protocol: TCP
    port: 9376
endpoints:
  - addresses:
      - "10.4.5.6"
  - addresses:
      - "10.1.2.3"
EOF
kubectl delete svc my-service
kubectl apply -f no-selector.yaml
kubectl get endpointslices -l kubernetes.io/service-name=my-service
# Example 4, "Multi-port Services": every port must be named. Documented outcome: accepted;
# without names the API server refuses.
cat > multi-port.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: multi
spec:
  selector:
    app.kubernetes.io/name: MyApp
  ports:
    - name: http
      protocol: TCP
      port: 80
      targetPort: 9376
    - name: https
      protocol: TCP
      port: 443
      targetPort: 9377
EOF
kubectl apply -f multi-port.yaml
kubectl get svc multi -o jsonpath='{.spec.ports[*].name}{"\n"}'
cat > multi-unnamed.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: multi-unnamed
spec:
  ports:
    - protocol: TCP
      port: 80
    - protocol: TCP
      port: 443
EOF
kubectl apply -f multi-unnamed.yaml
# Example 5, "type: NodePort" with a chosen port 30007. Documented outcome: the node port is
# 30007.
cat > nodeport.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: np
spec:
  type: NodePort
  selector:
    app.kubernetes.io/name: MyApp
  ports:
    - port: 80
      targetPort: 80
      nodePort: 30007
EOF
kubectl apply -f nodeport.yaml
kubectl get svc np -o jsonpath='{.spec.type} {.spec.ports[0].nodePort}{"\n"}'
# Example 6, "type: ExternalName": a CNAME to my.database.example.com in namespace prod.
kubectl create namespace prod
cat > externalname.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: my-service
  namespace: prod
spec:
  type: ExternalName
  externalName: my.database.example.com
EOF
kubectl apply -f externalname.yaml
kubectl get svc my-service -n prod
dig +short my-service.prod.svc.cluster.local CNAME
# Example 7, "External IPs": 198.51.100.32 on port 80 to 49152.
cat > external-ips.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: ext
spec:
  selector:
    app.kubernetes.io/name: MyApp
  ports:
    - name: http
      protocol: TCP
      port: 80
      targetPort: 49152
  externalIPs:
    - 198.51.100.32
EOF
kubectl apply -f external-ips.yaml
kubectl get svc ext
# Example 8 (from https://kubernetes.io/docs/concepts/services-networking/dual-stack/,
# "Services"): RequireDualStack on this single-stack cluster is refused by the API server.
cat > require-dual.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: my-service-rds
spec:
  ipFamilyPolicy: RequireDualStack
  selector:
    app.kubernetes.io/name: MyApp
  ports:
    - protocol: TCP
      port: 80
EOF
kubectl apply -f require-dual.yaml
