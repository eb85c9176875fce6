# Kubernetes docs: Debug Services (task page).
# Source: https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/
#
# The walkthrough's Deployment "hostnames" (registry.k8s.io/serve_hostname, which answers its
# own hostname on 9376), scaled to 3 and exposed on port 80. Documented outcomes: the Service
# gets a cluster IP; `nslookup hostnames` from a busybox pod answers it under
# hostnames.default.svc.cluster.local; the pods answer their names; the EndpointSlice lists
# the three pods on 9376.
kubectl create deployment hostnames --image=registry.k8s.io/serve_hostname
kubectl scale deployment hostnames --replicas=3
kubectl rollout status deployment/hostnames
kubectl get pods -l app=hostnames -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}'
kubectl expose deployment hostnames --port=80 --target-port=9376
kubectl get svc hostnames -o jsonpath='{.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.selector}{"\n"}'
kubectl get endpointslices -l kubernetes.io/service-name=hostnames -o jsonpath='{.items[0].ports[0].port} {.items[0].endpoints[*].targetRef.name}{"\n"}'
kubectl run -it --rm --restart=Never busybox --image=busybox:1.28 sh
nslookup hostnames
nslookup hostnames.default
nslookup hostnames.default.svc.cluster.local
nslookup kubernetes.default
wget -qO- hostnames
echo
exit
# The pod template's container name: kubectl made serve_hostname a valid name.
kubectl get deploy hostnames -o jsonpath='{.spec.template.spec.containers[0].name}{"\n"}'
# "Is the Service defined correctly?" A wrong targetPort: nothing listens on 9999, the
# connection is refused by the pod.
kubectl patch svc hostnames -p '{"spec":{"ports":[{"port":80,"targetPort":9999}]}}'
curl -s --max-time 2 hostnames.default || echo "no answer"
